"""Custom actions of the migrant-children referral assistant (served by rasa-sdk)."""
