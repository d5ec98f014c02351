#!/usr/bin/python3
"""Trains the demo models from data that scikit-learn ships, with the real frameworks, into OUT_DIR.

  breast-cancer.json  XGBoost binary:logistic on sklearn's breast cancer set (30 features)
  iris.ubj            XGBoost multi:softprob on sklearn's iris set (4 features), UBJSON encoding
Prints one line per model: file, framework, and held-out accuracy.
"""
import os
import sys

import numpy as np
import xgboost as xgb
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.model_selection import train_test_split


def train(x, y, params, rounds):
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=7, stratify=y)
    booster = xgb.train(params, xgb.DMatrix(x_train, label=y_train), num_boost_round=rounds)
    pred = booster.predict(xgb.DMatrix(x_test))
    labels = (pred > 0.5).astype(int) if pred.ndim == 1 else pred.argmax(axis=1)
    return booster, float((labels == y_test).mean())


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "maas-data/demo-models"
    os.makedirs(out, exist_ok=True)
    np.random.seed(7)
    cancer = load_breast_cancer()
    booster, acc = train(cancer.data, cancer.target,
                         {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "seed": 7}, 40)
    booster.save_model(os.path.join(out, "breast-cancer.json"))
    print(f"breast-cancer.json xgboost accuracy={acc:.3f}")
    iris = load_iris()
    booster, acc = train(iris.data, iris.target,
                         {"objective": "multi:softprob", "num_class": 3, "max_depth": 3, "eta": 0.3, "seed": 7}, 30)
    booster.save_model(os.path.join(out, "iris.ubj"))
    print(f"iris.ubj xgboost accuracy={acc:.3f}")


if __name__ == "__main__":
    main()
