"""Editorial work: roles and their permissions, review workflows, accounts, admin refusals."""
