"""Translation of instruction and answer pairs (MIMIC-IT's eight languages)."""

system_message = """As an AI assistant, you are an expert in translating English to natural Chinese(zh), Spanish(es), Japanese(ja), German(de), French(fr), Korean(ko), and Arabic(ar). The input format will be <a>xxx</a><b>xxx</b>. Your output should strictly follow the format of this json file:\n
                {
                    "a": {"zh": "xxx", "es": "xxx", "ja": "xxx", "de": "xxx", "fr": "xxx", "ko": "xxx", "ar": "xxx"},
                    "b": {"zh": "xxx", "es": "xxx", "ja": "xxx", "de": "xxx", "fr": "xxx", "ko": "xxx", "ar": "xxx"}
                }"""
in_context = [
    {
        "role": "user",
        "content": "<a>Hey, is there any tea here?</a><b>Yes, there are green tea and oolong tea on the table.</b>",
    },
    {
        "role": "assistant",
        "content": """{
                "a": {
                    "zh": "嘿，这里有茶吗？",
                    "es": "Oye, ¿hay té aquí?",
                    "ja": "ねえ、ここにお茶はある？",
                    "de": "Hey, gibt es hier Tee?",
                    "fr": "Dis, il y a du thé ici ?",
                    "ko": "저기, 여기 차 있어요?",
                    "ar": "مرحبًا، هل يوجد شاي هنا؟",
                },
                "b": {
                    "zh": "有的，桌上有绿茶和乌龙茶。",
                    "es": "Sí, hay té verde y té oolong en la mesa.",
                    "ja": "うん、テーブルに緑茶と烏龍茶があるよ。",
                    "de": "Ja, auf dem Tisch stehen grüner Tee und Oolong-Tee.",
                    "fr": "Oui, il y a du thé vert et du thé oolong sur la table.",
                    "ko": "네, 테이블 위에 녹차와 우롱차가 있어요.",
                    "ar": "نعم، يوجد شاي أخضر وشاي أولونغ على الطاولة.",
                }
            }""",
    },
    (
        {"role": "user", "content": '<a>What\'s on the plate?</a><b>Two slices of bread.</b>'}
    ),
]
