"""A small data set built by hand (units, a unit moved between districts, values in mixed
units, SCP models) whose figures the engine's tests work out in their comments."""

from __future__ import annotations

import io

from benvung.datavalues.services import datavalues_import
from benvung.orgunits.services import orgunits_import
from benvung.scpmodels.services import scpmodels_import

UNITS = """code,name,type,parent,valid_from,valid_to,sector
P,Tỉnh thử,TINH,,2020-01-01,,
D1,Huyện Một,HUYEN,P,2020-01-01,,
D2,Huyện Hai,HUYEN,P,2020-01-01,,
D3,Huyện Ba,HUYEN,P,2020-01-01,2022-12-31,
X1,Xã Một,XA,D1,2020-01-01,,
X2,Xã Hai,XA,D2,2020-01-01,,
K1,KCN Một,KCN,D1,2020-01-01,,
K2,KCN Hai,KCN,D1,2023-01-01,,
K3,KCN Ba,KCN,D2,2020-01-01,2022-12-31,
C1,CCN Một,CCN,D2,2020-01-01,,
L1,Làng nghề Một,LANG_NGHE,D1,2020-01-01,,
S1,Siêu thị Một,SIEU_THI,X1,2020-01-01,,
S2,Siêu thị Hai,SIEU_THI,X2,2020-01-01,,
T1,TTTM Một,TTTM,X2,2021-01-01,,
E1,Thép Một,DOANH_NGHIEP,K1,2020-01-01,,THEP
E2,Thép Hai,DOANH_NGHIEP,C1,2020-01-01,,THEP
E3,Nhựa Một,DOANH_NGHIEP,K1,2020-01-01,,NHUA
"""

# L1 moves from D1 to D2 on 1/7/2024: in 2024 it belongs to both districts' subtrees.
PARENT_MOVE = [("L1", "D1", "2020-01-01", "2024-06-30"), ("L1", "D2", "2024-07-01", None)]

VALUES = """data_element,org_unit,period,value,unit,comment
NT_HOAT_DONG,K1,2021,2,,
NT_HOAT_DONG,K3,2021,1,,
NT_HOAT_DONG,C1,2022,0,,
NT_HOAT_DONG,C1,2023,1,,
NT_HOAT_DONG,L1,2020,5,,hoạt động năm gốc không được tính
NT_HOAT_DONG,L1,2024,1,,
TT_SU_KIEN,D1,2021,3,,
TT_SU_KIEN,D3,2021,1,,
TT_SU_KIEN,D2,2022,0,,
BB_THAN_THIEN,S1,2021,có,,
BB_THAN_THIEN,S2,2021,Không,,
BB_THAN_THIEN,S1,2025,1,,
BB_THAN_THIEN,S2,2025,false,,
BB_NHAN_SINH_THAI,S1,2021,12,,
BB_NHAN_SINH_THAI,T1,2021,30,,
SX_SAN_LUONG,E1,2020,100,tấn,
SX_SAN_LUONG,E1,2021,100000,kg,
SX_SAN_LUONG,E1,2022,110,tấn,
SX_SAN_LUONG,E2,2020,200,tấn,
SX_SAN_LUONG,E2,2021,220,tấn,
SX_SAN_LUONG,E2,2022,210,tấn,
SX_SAN_LUONG,E2,2023,0,tấn,
TH_NANG_LUONG,E1,2020,10,TOE,
TH_NANG_LUONG,E1,2021,"414,4932",GJ,
TH_NANG_LUONG,E1,2023,9,TOE,
TH_NANG_LUONG,E2,2020,1000,MWh,
TH_NANG_LUONG,E2,2021,1000000,kWh,
TH_NANG_LUONG,E2,2022,150,toe,
TH_NANG_LUONG,E2,2023,140,TOE,
TH_NGUYEN_LIEU,E3,2020,500,tấn,
TH_NGUYEN_LIEU,E3,2021,480000,kg,
SX_SAN_LUONG,E3,2020,1000,hl,
SX_SAN_LUONG,E3,2021,1000,hl,
"""

MODELS = """code,name,kind,org_unit,year,description
M0,Mô hình năm gốc,AP_DUNG,K1,2020,trước kỳ kế hoạch
M1,Mô hình một,AP_DUNG,K1,2021,
M2,Mô hình hai,AP_DUNG,E2,2022,
M3,Mô hình ba,AP_DUNG,L1,2024,
N1,Nhân rộng một,NHAN_RONG,C1,2023,
"""


def load(kind: str, text: str) -> None:
    """Import a CSV text of a kind (orgunits, data, models) through its import service."""
    service = {
        "orgunits": orgunits_import,
        "data": datavalues_import,
        "models": scpmodels_import,
    }[kind]
    result = service(file=io.BytesIO(text.encode("utf-8")), filename=f"{kind}.csv")
    assert result.ok, [str(p) for p in result.problems]
