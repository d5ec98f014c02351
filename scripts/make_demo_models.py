#!/usr/bin/python3
"""Trains the demo models from data that scikit-learn ships, with the real frameworks, into OUT_DIR.

  breast-cancer.json  XGBoost binary:logistic on sklearn's breast cancer set (30 features)
  iris.ubj            XGBoost multi:softprob on sklearn's iris set (4 features), UBJSON encoding
  iris-v2.ubj         the same with deeper trees and more rounds: the second version a service splits and canaries to
  iris-logreg.onnx    scikit-learn's logistic regression on iris as an ONNX graph (MatMul, Add, Softmax)
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
    booster, acc = train(iris.data, iris.target,
                         {"objective": "multi:softprob", "num_class": 3, "max_depth": 5, "eta": 0.2, "seed": 7}, 60)
    booster.save_model(os.path.join(out, "iris-v2.ubj"))
    print(f"iris-v2.ubj xgboost accuracy={acc:.3f}")
    acc = logistic_regression_onnx(iris, os.path.join(out, "iris-logreg.onnx"))
    print(f"iris-logreg.onnx onnx accuracy={acc:.3f}")


def logistic_regression_onnx(data, path):
    """scikit-learn's multinomial logistic regression, written as the ONNX graph softmax(x W + b)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from sklearn.linear_model import LogisticRegression

    x_train, x_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.25, random_state=7,
                                                        stratify=data.target)
    model = LogisticRegression(max_iter=1000).fit(x_train, y_train)
    weights = numpy_helper.from_array(model.coef_.T.astype(np.float32), "W")
    bias = numpy_helper.from_array(model.intercept_.astype(np.float32), "b")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "W"], ["logits"]), helper.make_node("Add", ["logits", "b"], ["scores"]),
         helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1)],
        "iris_logreg", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])], [weights, bias])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    return float(model.score(x_test, y_test))


if __name__ == "__main__":
    main()
