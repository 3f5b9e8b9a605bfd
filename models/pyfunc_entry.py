"""MLflow "model from code" entry point: the registered model is this file, not a pickle.

`mlflow.pyfunc.log_model(python_model=<this file>)` stores it with the model; loading
the model runs it, and `set_model` hands MLflow the OpennessModel. Nothing else imports
this module.
"""

from mlflow.models import set_model

from models.pyfunc import OpennessModel

set_model(OpennessModel())
