"""The live workshop: participants' notes from their phones, the join code, link and QR code."""
