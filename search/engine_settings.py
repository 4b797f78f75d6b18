"""Index settings for OpenSearch/Elasticsearch; no Django imports (read by settings.py)."""

# Pre-segmented words (pioneer.core.text.segmentation) split on spaces, index and query side.
SEGMENTED_ANALYSIS = {
    "analyzer": {
        "default": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        "ngram_analyzer": {
            "type": "custom",
            "tokenizer": "whitespace",
            "filter": ["lowercase", "ngram"],
        },
        "edgengram_analyzer": {
            "type": "custom",
            "tokenizer": "whitespace",
            "filter": ["lowercase", "edgengram"],
        },
    }
}
# The alternative measured in bench/search_relevance.py: the engine's own CJK bigrams.
CJK_ANALYSIS = {
    "analyzer": {
        "default": {"type": "cjk"},
        "edgengram_analyzer": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "edgengram"],
        },
    }
}


def index_settings(analyzer):
    analysis = CJK_ANALYSIS if analyzer == "cjk" else SEGMENTED_ANALYSIS
    return {"settings": {"analysis": analysis, "index": {"number_of_replicas": 0}}}
