"""`mlpizza-lint lsp`: the findings in any LSP editor as you type, notebooks included."""
