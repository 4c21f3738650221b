"""The checks a post passes before any build: the files a build may read (`sources`), the header and body rules
(`rules`), the archive register (`archive`). Each problem is one line naming the file, the field, the value and the
fix. `scaffold` writes a new post that passes them as a draft."""
