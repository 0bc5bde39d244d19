"""Facts about cells and the project, gathered before any rule runs; rules only read them."""
