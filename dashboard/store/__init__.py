"""Storage behind one small repository module (:mod:`store.rooms`); pure Python, no Streamlit."""
