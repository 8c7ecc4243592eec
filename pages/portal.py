"""The public performance portal: published, approved measures, no sign-in needed."""

import streamlit as st

st.title("How the council is performing")
st.caption("Published measures, updated when the figures are approved.")
st.info("The public portal is being built.", icon=":material/construction:")
