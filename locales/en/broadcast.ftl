## Operator broadcasts in the chat.

broadcast-preview-inert = This is only a preview: the buttons will work in the residents' message. The broadcast has not been sent yet.
