"""隐患台账 area: the ledger, 督办, 挂牌督办, 精准拆弹, 多发隐患 and the 动态清零 dashboard."""
