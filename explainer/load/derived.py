"""Figures the site computes from the article's figures: a tiny, safe arithmetic over fact ids.

A derived fact says `derived: {formula: "revenue_needed_2030 - revenue_2030"}`. The
formula may use fact ids, numbers, + - * / and parentheses; nothing else is evaluated (no eval()).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Limits that keep reading and computing a formula far from Python's recursion limit (a formula
# 340 parentheses deep was a RecursionError traceback); no real figure comes near them.
MAX_NESTING = 32  # parentheses and signs inside one another
MAX_TOKENS = 400  # fact ids, numbers and operators
TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[a-z][a-z0-9_]*)|(?P<op>[-+*/()]))")


class FormulaError(ValueError):
    """A formula that cannot be read or computed; the message says why."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, the fact ids it reads, and how to compute it."""

    text: str
    inputs: tuple[str, ...]
    _tree: tuple

    def evaluate(self, value_of: Callable[[str], float]) -> float:
        """Compute the formula, asking `value_of` for each fact id's number."""
        return _evaluate(self._tree, value_of)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            msg = f"cannot read {text[position:].strip()[:20]!r}; use fact ids, numbers, + - * / and ( )"
            raise FormulaError(msg)
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        position = match.end()
        if len(tokens) > MAX_TOKENS:
            msg = f"the formula is longer than {MAX_TOKENS} ids, numbers and operators; split it into derived facts"
            raise FormulaError(msg)
    return tokens


def parse_formula(text: str) -> Formula:
    """Parse a formula by recursive descent: sum := product (('+'|'-') product)*, and so on."""
    tokens = _tokens(text)
    position = 0
    depth = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        token = peek()
        if token is None:
            msg = "the formula ends too early"
            raise FormulaError(msg)
        position += 1
        return token

    def atom() -> tuple:
        nonlocal depth
        kind, value = take()
        if kind == "number":
            return ("number", float(value))
        if kind == "name":
            return ("fact", value)
        if value in ("(", "-"):
            depth += 1
            if depth > MAX_NESTING:
                msg = f"the formula nests more than {MAX_NESTING} parentheses or signs deep; write it flatter"
                raise FormulaError(msg)
        if value == "(":
            inner = total()
            if peek() != ("op", ")"):
                msg = "a '(' is never closed"
                raise FormulaError(msg)
            take()
            depth -= 1
            return inner
        if value == "-":
            negated = ("neg", atom())
            depth -= 1
            return negated
        msg = f"unexpected {value!r}"
        raise FormulaError(msg)

    def product() -> tuple:
        left = atom()
        while (token := peek()) in (("op", "*"), ("op", "/")):
            take()
            left = (token[1], left, atom())
        return left

    def total() -> tuple:
        left = product()
        while (token := peek()) in (("op", "+"), ("op", "-")):
            take()
            left = (token[1], left, product())
        return left

    if not tokens:
        msg = "the formula is empty"
        raise FormulaError(msg)
    tree = total()
    if position != len(tokens):
        msg = f"unexpected {tokens[position][1]!r}"
        raise FormulaError(msg)
    names = tuple(dict.fromkeys(name for kind, name in tokens if kind == "name"))
    return Formula(text=" ".join(text.split()), inputs=names, _tree=tree)


def _evaluate(node: tuple, value_of: Callable[[str], float]) -> float:
    kind = node[0]
    if kind == "number":
        return node[1]
    if kind == "fact":
        return value_of(node[1])
    if kind == "neg":
        return -_evaluate(node[1], value_of)
    left, right = _evaluate(node[1], value_of), _evaluate(node[2], value_of)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if right == 0:
        msg = "division by zero"
        raise FormulaError(msg)
    return left / right
