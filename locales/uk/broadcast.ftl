## Operator broadcasts in the chat.

broadcast-preview-inert = Це лише попередній перегляд: у повідомленні мешканцям кнопки працюватимуть. Розсилку ще не надіслано.
