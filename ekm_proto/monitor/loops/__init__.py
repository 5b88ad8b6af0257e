"""The five monitoring loops (alert, identity, meter, consumables, tray): each reads one device
into a batch with only the OIDs it needs (ekm_proto.monitor.loop_oids); the runner drives them
over the fleet."""
