"""Cell sources and products: product type x tissue of origin x donor type."""

import streamlit as st

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Cell sources & products", "Which trials give cells and which give exosomes, from which "
                    "tissue and which donor. Unknown tissue or donor is its own category.")

# 1. each trial placed by product and tissue
shown = ui.per_trial(view, "product chart")
points = tf.product_points(shown["trials"], shown["provenance"])
ui.chart(figures.products_figure(points), points, "products")

# 2. counts
st.subheader("Counts")
ui.table(tf.product_counts(view["trials"]), "product_counts")

ui.footer()
