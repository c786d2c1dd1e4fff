"""The content files read into typed models, the rules file with each rule's one wording, the method's fixed words."""
