"""The browser editor for comms staff (Decap CMS): its configuration generated from the settings (`config`), its
page in the internal edition only (`page`), and the local git proxy `invoke edit` runs (`local`)."""
