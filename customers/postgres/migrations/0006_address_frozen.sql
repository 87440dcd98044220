-- Whether a flag of the token's freeze model (an address freeze, a
-- blacklist) was set when the figures were read: the frozen-funds
-- register's addressFrozen. Figures stored before this migration read
-- false until their wallet is read again.
ALTER TABLE known_figures ADD COLUMN address_frozen boolean NOT NULL DEFAULT false;
