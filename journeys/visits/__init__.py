"""Mystery-shopper visits: models, drafts, photos, reports, plans and their use cases."""
