"""The sandbox cluster (DESIGN.md §7): real mariadbd replication on loopback addresses."""
