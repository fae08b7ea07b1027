"""Blueprints: public pages for residents, the workspace for reviewers."""
