"""The second-generation ID card reader (二代身份证阅读器): the card as data, the checks it passes before it
fills a form, the readers (termb.dll, sdtapi.dll through ctypes; a simulated one fed from a file) and the
workstation's local choice of reader. No Qt here; the screens that show a read card live in app/ui/idcard.
"""
