// search UI: written next
