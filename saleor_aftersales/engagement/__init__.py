"""Buy again, FAQ, reviews, recommendations: what keeps the shopper coming back."""
