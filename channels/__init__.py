"""Input channels: REST, socket.io (web chat), WhatsApp, Telegram and Messenger."""

# The longest user message any channel passes to the assistant (REST refuses longer ones with 413;
# the chat and messaging channels cut them), before NLU sees it.
MAX_MESSAGE_CHARS = 1000
