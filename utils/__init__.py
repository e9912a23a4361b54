"""Transformers Lunch & Learn: the small, tested helpers behind the notebooks.

One module per idea, each defined once; a lesson owns its notebook, not a
module, so later lessons import the same pieces. Nothing here reaches for the
network: every model and data set comes from the pinned offline set that
`make assets` prepares.

The map (module: the idea; the lessons that use it, as part.lesson):

Text and data
    text            Vocab, special tokens, padding, detokenize; 1.1 1.3 1.6
    data/           the seeded EN->DE grammar (grammar: splits and buckets;
                    tokens, nouns, verbs, noun_phrases, clauses, sentences,
                    lexicon: its parts), the phrasebook; 1.1 1.3 1.6
    tokenization    BPE from scratch, real tokenizers compared; 1.4
    fixed_vocab     a fixed word vocabulary, and crowbarring text into it; 1.2
Models, built from their parts
    word_alignment  IBM Model 1 and symmetrised word links; 1.1
    ngram           the phrase table and the phrase-based translator; 1.1 1.3 1.6
    word_vectors    one-hot, cosine, word2vec trained live, a vector space; 1.2
    vector_eval     word vectors against benchmarks and the deck's claims; 1.2
    rnn             GRU encoder-decoders, with and without attention; 1.3 1.6
    attention       softmax, scaled dot-product attention, masks (True = may
                    look), multi-head attention (self or cross), sinusoidal
                    and rotary positions, the KV cache; 1.5 1.6 2.2, and
                    every transformer after
    transformer     Embed, Block, Encoder, Decoder, Transformer, and the
                    decoder-only GPT built from the same Block (its options:
                    GPTConfig); 1.6 2.2
    minilm          MiniLM looked inside: captured attention, sentence
                    vectors (checked against sentence-transformers), a
                    word's vector in context; 1.5 1.6 2.1
    mlm             masked-language modelling: BERT's masking, a tiny
                    encoder (part 1's Encoder) on Shakespeare; 2.1
Training, decoding, measuring
    training        the one training loop (make_step, train, evaluate) and
                    its live bar; 1.3 1.6 2.1 2.2
    cache           trained models, keyed by config, seed, data and
                    vocabulary; 1.3 1.6
    decoding        the one decoding loop (greedy is one rule of it, banned
                    and forced tokens another); SmolLM2 stepped with a KV
                    cache; 1.4 1.6 2.2
    sampling        one generate() for greedy, temperature, top-k, top-p
                    and beam search, for our GPT and SmolLM2; 2.2
    search          search by meaning (MiniLM) and by words (TF-IDF),
                    hit rates; 2.1
    tasks/translation        the EN->DE task: batches, loss, the registry of
                             translators, translate, trace; 1.3 1.6, benchmarks
    tasks/translation_views  its trace table, alignment and widgets; 1.3 1.6
    tasks/shakespeare        character-level pretraining: the corpus, batches,
                             the nanoGPT and lesson recipes; 2.1 2.2, benchmarks
    tasks/news               gensim's Lee corpus and queries with known
                             answers; 2.1, benchmarks
    tasks/polarity           200 review sentences: majority, frozen and
                             fine-tuned classifiers, 10-fold CV; 2.1, benchmarks
    bleu            BLEU written out, checked against sacrebleu; 1.1 1.3 1.6
    cost            time per step against sequence length; 1.3 1.6
Showing
    diagrams        the architectures drawn: RNN seq2seq, queries, keys and
                    values, the block, the encoder-decoder; 1.3 1.5 1.6
    plots           heat maps, similarity matrices, masks, BLEU bars; 1.3 1.5
                    1.6 2.1
    ngram_view      lesson 1's links, phrases and widget; 1.1
    vector_explorer the embedding explorer widget; 1.2
    search_view     the search box: top 5 by meaning and by words; 2.1
    sampling_view   the sampling widget: each reshaping, drawn; 2.2
    gpt_playground  retrain a small GPT of your design in half a minute; 2.2
    widgets         widgets as thin views over pure update functions; all
    bertviz_offline bertviz's views, offline; 1.5
    style           one plotting style; all
The course itself
    assets          the offline models and data, checked; all
    course          the course map; 0
    runtime         device, seeds, quick mode, model sizes; all
    checks/         the exercise checks, one module per lesson, beside
                    lessons/solutions/
"""

__version__ = "0.1.0"
