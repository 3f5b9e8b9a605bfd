"""Personal data handling: what is taken out of transcripts before they are kept."""
