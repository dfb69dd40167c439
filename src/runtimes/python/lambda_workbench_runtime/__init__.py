# Lambda Workbench's Python runtime client (the awslambdaric equivalent); runs inside an instance, stdlib only.
