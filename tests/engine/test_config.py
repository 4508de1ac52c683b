"""Config strings: exact round trips and clear refusals."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.engine import KEYS, PRESETS, Config, ConfigError, Trainer
from rnn_tui.engine.config import parse_value


@st.composite
def configs(draw: st.DrawFn) -> Config:
    finite = st.floats(allow_nan=False, allow_infinity=False)
    return Config(
        wx=draw(finite.filter(lambda v: abs(v) <= 1e6)),
        wrec=draw(finite.filter(lambda v: abs(v) <= 1e6)),
        lr_wx=draw(st.floats(0, 10)),
        lr_wrec=draw(st.floats(0, 10)),
        activation=draw(st.sampled_from(["identity", "sigmoid", "tanh", "relu", "leaky_relu"])),
        optimizer=draw(st.sampled_from(["gd", "momentum", "adam", "rprop"])),
        momentum=draw(st.floats(0, 1, exclude_max=True)),
        eps=draw(st.floats(1e-12, 1)),
        clip=draw(
            st.one_of(
                st.just("none"),
                st.builds(
                    lambda m, c: f"{m}:{c!r}",
                    st.sampled_from(["value", "norm"]),
                    st.floats(1e-6, 1e6),
                ),
            )
        ),
        epochs=draw(st.integers(1, 10_000_000)),
        seed=draw(st.integers(0, 2**32 - 1)),
        data=draw(st.sampled_from(["notebook", "roelants", "random:3x4", "random:20x10"])),
    )


@given(configs())
def test_round_trip_is_exact(config: Config) -> None:
    text = str(config)
    again = Config.parse(text)
    assert again == config
    assert str(again) == text
    for field in dataclasses.fields(config):
        assert repr(getattr(again, field.name)) == repr(getattr(config, field.name))


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_to_identical_runs(name: str) -> None:
    config = PRESETS[name].config
    a, b = Trainer(config), Trainer(Config.parse(str(config)))
    a.step(50)
    b.step(50)
    assert a.history.column("loss").tobytes() == b.history.column("loss").tobytes()


def test_default_string_is_the_notebook_experiment() -> None:
    assert str(Config()) == (
        "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006,activation=identity,"
        "optimizer=gd,epochs=50000,data=notebook"
    )
    assert Config.parse("") == Config()


def test_parse_on_top_of_a_base_and_lr_shorthand() -> None:
    base = PRESETS["seed-sigmoid"].config
    config = Config.parse(" lr = 0.05 , epochs=5e3,", base=base)
    assert (config.lr_wx, config.lr_wrec, config.epochs) == (0.05, 0.05, 5000)
    assert config.activation == "sigmoid"


@pytest.mark.parametrize(
    "text,key,fragment",
    [
        ("lr_wx=abc", "lr_wx", "must be a number in [0, 10]"),
        ("lr_wx=-0.1", "lr_wx", "[0, 10]"),
        ("wx=nan", "wx", "must be a number"),
        ("wx=inf", "wx", "must be a number"),
        ("wrec=1e7", "wrec", "[-1e+06, 1e+06]"),
        ("epochs=0", "epochs", "whole number in [1, 10000000]"),
        ("epochs=2.5", "epochs", "whole number"),
        ("seed=-1", "seed", "whole number"),
        ("activation=softmax", "activation", "one of identity, sigmoid"),
        ("optimizer=sgd2", "optimizer", "one of gd, momentum, adam, rprop"),
        ("momentum=1", "momentum", "[0, 1)"),
        ("eta_minus=0", "eta_minus", "(0, 1]"),
        ("clip=value:0", "clip", "none, value:C or norm:C"),
        ("clip=max:3", "clip", "none, value:C or norm:C"),
        ("data=random:0x5", "data", "random:NxT"),
        ("data=random:ax5", "data", "random:NxT"),
        ("lrwx=0.1", "lrwx", "did you mean lr_wx"),
        ("wx", "wx", "expected key=value"),
        ("wx=1,wx=2", "wx", "given twice"),
    ],
)
def test_bad_values_are_refused_with_the_key_and_range(text: str, key: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config.parse(text)
    assert caught.value.key == key
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"{key}: ")


def test_single_field_parsing_for_the_parameter_panel() -> None:
    assert parse_value("lr_wx", " 0.5 ") == 0.5
    assert parse_value("epochs", "1_000") == 1000
    with pytest.raises(ConfigError, match="lr_wrec"):
        parse_value("lr_wrec", "fast")


def test_every_key_has_a_default_and_is_printed_when_changed() -> None:
    assert set(KEYS) == {f.name for f in dataclasses.fields(Config)}
    assert "clip=norm:2.0" in str(Config(clip="norm:2.0"))
    assert Config(clip="norm:2.0").clip_rule.limit == 2.0
