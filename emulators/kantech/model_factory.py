"""Which controller model each device of a fleet runs (a fleet takes any ``ModelFactory``)."""

from __future__ import annotations

from collections.abc import Callable

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.controller_model import make_controller
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.iplink_device import make_iplink
from kantech_proto.codes import DeviceModel
from kantech_proto.errors import ConfigurationError

ModelFactory = Callable[[DeviceConfig], ControllerModel]


def default_model_factory(config: DeviceConfig) -> ControllerModel:
    """The project's controller models (``controller_model``); with this factory a fleet runs
    its IP-Links as polling runtimes (``iplink_runtime``) instead of asking for a model."""
    model: ControllerModel = make_controller(config.model, config.mac, config.serial_number,
                                             firmware=config.firmware)
    return model


def iplink_model_factory(config: DeviceConfig) -> ControllerModel:
    """A ``KantechFleet`` model factory: IP-Links get an in-process loop of
    ``config.loop_size`` controllers (TUNNEL answered inline), other models the default."""
    if config.model is DeviceModel.IP_LINK:
        if config.loop_size < 1:
            raise ConfigurationError(f"{config.name}: loop_size {config.loop_size}: an IP-Link "
                                     "needs at least 1 controller on its loop")
        return make_iplink(config.mac, config.serial_number, config.loop_size,
                           firmware=config.firmware)
    return default_model_factory(config)
