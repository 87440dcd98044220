-- A wallet that leaves its customer forgets its known figures in every
-- token: find them by wallet.
CREATE INDEX known_figures_wallet ON known_figures (wallet);
