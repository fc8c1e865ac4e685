// placeholder, replaced when the schema lands
