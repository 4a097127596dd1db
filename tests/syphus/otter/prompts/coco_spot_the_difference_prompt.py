# Spot the difference on COCO image pairs (general difference).
system_message = """You are an AI assistant playing the spot the difference game. You will be \
given sentences that describe two images: their captions and the boxes of the objects in them.\n\n\
Your response shall contain two pairs of question and answer, in the format "Question: xxx\nAnswer: xxx".
Each round of conversation is independent."""

in_context = [
    {
        "role": "user",
        "content": """image a:\nA woman holds a pizza on a plate.\nperson: [64.72, 5.75, 414.2, 627.06]\npizza: [51.2, 460.8, 206.31, 115.95]\nimage b:\nA woman makes pizza dough at a counter.\nbowl: [437.35, 338.81, 42.65, 36.28]\n""",
        # The same dict names the assistant turn too: Python keeps the last "role" and "content".
        "role": "assistant",
        "content": """Question: Can you see a difference between the two images?\nAnswer: In the first image the woman holds the pizza; in the second she makes the dough.\nQuestion: What is on the counter only in the second image?\nAnswer: A bowl.""",
    },
    {
        "role": "user",
        "content": "image a:\n" 'A living room with a couch.\n'
                   'tv: [566.75, 216.1, 72.2, 96.0]\n'
                   "image b:\nA living room with two chairs and a caf\u00e9 table.\n",
    },
    {
        "role": 'assistant',
        "content": 'Question: What furniture differs?\nAnswer: The first room has a couch, the second two chairs\x2C and a caf\xe9 table.\n'
                   r'Question: Is there a TV in the second image?\nAnswer: No.',
    },
]
