"""The only trialdata code that imports streamlit: cached loaders and shared components."""
