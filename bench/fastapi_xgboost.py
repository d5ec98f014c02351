"""The FastAPI peer for bench/run.sh: the same XGBoost model behind the same Open Inference Protocol JSON request
and response as maasd's /v2/models/{name}/infer, written the way FastAPI's documentation teaches (pydantic request
models, a numpy array, the booster's in-place prediction).

Run: BENCH_MODEL=model.json BENCH_MODEL_NAME=xgb uvicorn --app-dir bench fastapi_xgboost:app --workers 1
"""
import os
from typing import List, Optional

import numpy as np
import xgboost as xgb
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

MODEL_NAME = os.environ.get("BENCH_MODEL_NAME", "xgb")

booster = xgb.Booster()
booster.load_model(os.environ["BENCH_MODEL"])
# One thread per prediction, as maasd's worker is loaded with ("threads": 1).
booster.set_param({"nthread": 1})
num_features = booster.num_features()


class InferInput(BaseModel):
    name: str
    shape: List[int]
    datatype: str
    data: List[float]


class InferRequest(BaseModel):
    id: Optional[str] = None
    inputs: List[InferInput]


app = FastAPI()


@app.post("/v2/models/{model}/infer")
async def infer(model: str, request: InferRequest):
    if model != MODEL_NAME:
        raise HTTPException(status_code=404, detail=f"model '{model}' is not loaded")
    if len(request.inputs) != 1 or request.inputs[0].datatype != "FP32":
        raise HTTPException(status_code=400, detail="expected one FP32 input")
    tensor = request.inputs[0]
    if len(tensor.shape) != 2 or tensor.shape[1] != num_features or len(tensor.data) != tensor.shape[0] * num_features:
        raise HTTPException(status_code=400, detail=f"input must be [N, {num_features}]")
    rows = np.asarray(tensor.data, dtype=np.float32).reshape(tensor.shape)
    prediction = booster.inplace_predict(rows)
    response = {"model_name": model, "model_version": "1",
                "outputs": [{"name": "output", "datatype": "FP32", "shape": list(prediction.shape),
                             "data": prediction.tolist()}]}
    if request.id is not None:
        response["id"] = request.id
    return response
