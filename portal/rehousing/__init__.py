"""Urban-renewal rehousing (the plan's action 10): one shared follow-up of every household to rehouse when
buildings are demolished or restructured, with the offers the landlords and reservation holders bring."""
