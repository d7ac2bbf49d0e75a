print("TODO: example not written yet")
