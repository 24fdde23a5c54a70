"""Code shared by the action server, Rasa's custom channels and components, the privacy stores, the
analytics consumer, the web chat server and the tools: settings from the environment and text folding."""
