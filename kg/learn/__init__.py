"""Learned components: small logistic models trained here on annotated abstracts.

``model`` holds the model (a weight per named feature, fitted by plain gradient descent: no
dependency beyond numpy, deterministic), ``features`` what the models look at, ``train`` the
script that fits them from gold annotations and ``crossval`` the held-out-fold protocol.
Weights ship as JSON in ``kg/learn/weights/``; extraction loads them, never downloads anything.
"""
