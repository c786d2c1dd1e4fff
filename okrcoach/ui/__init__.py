"""Streamlit widget groups shared by the pages; the only Streamlit code outside pages/."""
