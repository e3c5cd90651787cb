"""Statistics of the office (spec §2.5): 件, 批, 人次, forms, classes, rates; every number drillable."""
