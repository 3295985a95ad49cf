"""Site photos: a few distinct small JPEGs drawn with Pillow (sky, buildings in green safety net, a tower
crane, a caption bar), stored once each through AttachmentStore — content-addressed blobs — and linked
to about a fifth of the inspections, often to one of their findings: many link rows, few files.

The files go into the data directory of the database: ``ctx.data_dir`` when the context carries one,
else the folder of a SQLite file laid out as DataDir (``<dir>/station.sqlite3``). Without one (a
PostgreSQL URL with no data directory) the photos are skipped and the progress output says so; the
random numbers are drawn either way, so both cases give the same other rows.
"""

from __future__ import annotations

import io
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from station_app.demo.context import GenContext, rand_date, stamp, table_of
from station_app.demo.history import history
from station_app.models import AttachmentBlob, InspectionAttachment, User
from station_app.paths import DataDir
from station_app.services.attachments import AttachmentStore, StoredFile

N_IMAGES = 40
SIZE = (160, 120)
#: share of inspections with photos
SHARE = 0.2
_CAPTIONS = ("现场检查照片", "", "检查部位全景", "")

Spec = tuple[Any, ...]


def data_dir_of(ctx: GenContext) -> Path | None:
    if ctx.data_dir:
        return Path(ctx.data_dir)
    url = ctx.session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database).resolve()
    return path.parent if DataDir(path.parent).database.resolve() == path else None


def _spec(rng: random.Random, n: int, this_year: int) -> Spec:
    """Everything random about picture ``n`` (drawn whether or not it is rendered); its stamp is one of
    the last six years up to the demo's today."""
    sky = (rng.randint(90, 170), rng.randint(140, 200), rng.randint(200, 250))
    ground = (rng.randint(110, 160), rng.randint(95, 130), rng.randint(70, 100))
    buildings = tuple((rng.randint(0, 130), rng.randint(22, 48), rng.randint(25, 75), rng.random() < 0.6)
                      for _ in range(rng.randint(1, 3)))
    crane = (rng.randint(10, 150), rng.randint(60, 95)) if rng.random() < 0.6 else None
    return n, sky, ground, buildings, crane, this_year - 5 + rng.randint(0, 5)


def render(spec: Spec) -> bytes:
    from PIL import Image, ImageDraw

    n, sky, ground, buildings, crane, year = spec
    w, h = SIZE
    img = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(img)
    horizon = 88
    for y in range(horizon):  # the sky lightens towards the horizon
        k = y / horizon
        draw.line([(0, y), (w, y)], fill=tuple(int(c + (235 - c) * k * 0.6) for c in sky))
    draw.rectangle([0, horizon, w, h], fill=ground)
    for x, bw, bh, netted in buildings:
        top = horizon - bh
        draw.rectangle([x, top, x + bw, horizon], fill=(170, 170, 165))
        for wy in range(top + 4, horizon - 4, 7):
            for wx in range(x + 3, x + bw - 4, 7):
                draw.rectangle([wx, wy, wx + 3, wy + 3], fill=(70, 80, 95))
        if netted:  # 密目式安全立网
            for gx in range(x - 2, x + bw + 3, 3):
                draw.line([(gx, top - 3), (gx, horizon)], fill=(40, 140, 70))
    if crane is not None:
        cx, ch = crane
        draw.line([(cx, horizon), (cx, horizon - ch)], fill=(230, 180, 20), width=3)
        draw.line([(cx - 25, horizon - ch + 4), (cx + 45, horizon - ch + 4)], fill=(230, 180, 20), width=2)
        draw.line([(cx + 35, horizon - ch + 4), (cx + 35, horizon - ch + 30)], fill=(60, 60, 60))
    draw.rectangle([0, h - 13, w, h], fill=(20, 20, 20))
    draw.text((3, h - 12), f"DH-{year} SITE {n:02d}", fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _store_all(store: AttachmentStore, specs: list[Spec]) -> list[StoredFile]:
    with tempfile.TemporaryDirectory(prefix="station-demo-photos-") as tmp:
        out = []
        for spec in specs:
            path = Path(tmp) / f"demo-site-{spec[0]:02d}.jpg"
            path.write_bytes(render(spec))
            out.append(store.put(path))
        return out


def make_photos(ctx: GenContext) -> None:
    rng, hist = ctx.rng, history(ctx)
    specs = [_spec(rng, n, ctx.today.year) for n in range(1, N_IMAGES + 1)]
    blob_times = [stamp(rng, rand_date(rng, ctx.span_start, ctx.span_start + timedelta(days=30))) for _ in specs]
    plan: list[tuple[int, int, int | None, int, str]] = []  # (inspection ref index, image, finding, secs, caption)
    for i, ref in enumerate(hist.inspections):
        if rng.random() >= SHARE:
            continue
        seen: set[tuple[int, int | None]] = set()
        for _ in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
            finding = rng.choice(ref.findings) if ref.findings and rng.random() < 0.6 else None
            image = rng.randrange(N_IMAGES)
            secs = rng.randint(0, 3000)
            caption = finding[1][:60] if finding else rng.choice(_CAPTIONS)
            if (image, finding[0] if finding else None) not in seen:
                seen.add((image, finding[0] if finding else None))
                plan.append((i, image, finding[0] if finding else None, secs, caption))
    root = data_dir_of(ctx)
    if root is None:
        ctx.progress("未指定数据目录（如 PostgreSQL 数据库），跳过现场照片附件。")
        return
    store = AttachmentStore.of(DataDir(root))
    stored = _store_all(store, specs)
    s = ctx.session
    known: dict[str, int] = {sha: bid for sha, bid in s.execute(select(AttachmentBlob.sha256, AttachmentBlob.id)
                                                                  .where(AttachmentBlob.sha256.in_([f.sha256 for f in stored])))}
    blob_table, link_table = table_of(AttachmentBlob), table_of(InspectionAttachment)
    next_blob = ctx.next_id(blob_table)
    blobs: list[dict[str, Any]] = []
    blob_ids: list[int] = []
    for f, at in zip(stored, blob_times, strict=True):
        if f.sha256 not in known:
            known[f.sha256] = next_blob + len(blobs)
            blobs.append({"id": known[f.sha256], "sha256": f.sha256, "size": f.size, "mime": f.mime,
                          "width": f.width, "height": f.height, "taken_at": f.taken_at, "created_at": at})
        blob_ids.append(known[f.sha256])
    names: dict[int, str] = {uid: name for uid, name in s.execute(select(User.id, User.full_name))}
    first = ctx.next_id(link_table)
    links = []
    for n, (i, image, finding_id, secs, caption) in enumerate(plan):
        ref = hist.inspections[i]
        shot = ref.at + timedelta(seconds=secs)
        links.append({"id": first + n, "blob_id": blob_ids[image], "inspection_id": ref.id, "finding_id": finding_id,
                      "original_name": f"IMG_{shot:%Y%m%d_%H%M%S}.jpg", "caption": caption,
                      "attached_by": ref.recorded_by, "attached_by_name": names.get(ref.recorded_by or 0, "")[:50],
                      "attached_at": ref.recorded_at})
    ctx.insert(blob_table, blobs)
    ctx.insert(link_table, links)
    ctx.counts["照片"] = len(blobs)
    ctx.counts["附件关联"] = len(links)
    ctx.progress(f"生成现场照片 {len(blobs)} 张（{store.root}），关联到检查记录和问题 {len(links)} 处")
