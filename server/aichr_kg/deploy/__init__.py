"""What an operator hands to the services in front of the server: the w3id.org redirects (`w3id`)."""
