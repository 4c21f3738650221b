"""Archive search: Pagefind indexes exactly the pages an edition wrote, while Pelican writes them (`pagefind`,
`index`), and the index files are made deterministic so the same pages give the same files (`bundle`)."""
