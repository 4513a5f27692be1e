"""The command line: arguments in; a library call, printed output and an exit status out.

`main` registers every subcommand; each command module (`crawl`, `parse`, `demo`,
`zero_requests`, `compare`, `findings`, `sql`) parses its arguments, calls one library function
and prints. `render` prints frames for a terminal, as CSV or as JSON; `docgen` writes the data
dictionary and the generated tables of the other docs (with `docgen_blocks`).
"""
