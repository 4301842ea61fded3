"""Scorers that compare Kronika output with gold annotations (TempEval-3 TIMEX3, …)."""
