"""The home page (records per type and project) and the table of one entity type."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from .markup import entity_link, esc, href, link, record_path, table, value_html
from .reads import PAGE_SIZES, PER_PAGE, FilterSyntaxError, Reader, name_field, parse_filters, prop

#: Project columns shown on the home page at most (the rest are summed under "other projects").
MAX_PROJECT_COLUMNS = 12


def arg(query: dict, name: str, default: str = "") -> str:
    values = query.get(name)
    return values[0] if values else default


def int_arg(query: dict, name: str, default: int, low: int = 1, high: int = 10 ** 9) -> int:
    try:
        return max(low, min(high, int(arg(query, name, str(default)))))
    except ValueError:
        return default


def home_page(reader: Reader) -> Tuple[str, str]:
    """``(title, body)``: every entity type with records, counted per project."""
    types = sorted(reader.entity_types())
    counts: List[Tuple[str, int, Dict[Any, int]]] = []
    projects: Dict[Any, Dict[str, Any]] = {}
    for entity_type in types:
        fields = reader.fields(entity_type) if entity_type != "Project" else {}
        grouped = "project" in fields and prop(fields["project"], "data_type") == "entity"
        answer = reader.count(entity_type, group_by="project" if grouped else None)
        total = int(answer["summaries"].get("id") or 0)
        if not total:
            continue
        per_project: Dict[Any, int] = {}
        for group in answer.get("groups") or []:
            value = group.get("group_value")
            key = value["id"] if isinstance(value, dict) else None
            if isinstance(value, dict):
                projects.setdefault(key, value)
            per_project[key] = int(group["summaries"].get("id") or 0)
        counts.append((entity_type, total, per_project))
    shown = sorted(projects)[:MAX_PROJECT_COLUMNS]
    headers = ["Entity type", "Records"] + [entity_link(projects[key]) for key in shown] + ["No project"]
    rows = []
    for entity_type, total, per_project in counts:
        cells = [link(href("/table/" + entity_type), entity_type), '<span class="num">%d</span>' % total]
        for key in shown:
            number = per_project.get(key, 0)
            cells.append(link(href("/table/" + entity_type, filters='[["project", "is", {"type": "Project", '
                                   '"id": %d}]]' % key), number) if number else "")
        cells.append(str(per_project[None]) if per_project.get(None) else "")
        rows.append(cells)
    note = ""
    if len(projects) > len(shown):
        note = '<p class="hint">%d more projects are not shown as columns: see the %s table.</p>' % (
            len(projects) - len(shown), link("/table/Project", "Project"))
    empty = len(types) - len(counts)
    body = ('<p>Records per entity type, per project (retired records are not counted). %d entity types without '
            'records are listed in the %s.</p>%s%s' % (empty, link("/schema", "schema"),
                                                       table(headers, rows), note))
    return "Projects and entity types", body


def default_columns(fields: dict) -> List[str]:
    name = name_field(fields)
    wanted = [name] if name else []
    for field in ("project", "entity", "sg_status_list", "description", "image", "updated_at"):
        if field in fields and field not in wanted:
            wanted.append(field)
    return wanted[:6]


def table_page(reader: Reader, entity_type: str, query: dict) -> Tuple[str, str, int]:
    """``(title, body, status)``: one page of ``entity_type`` as ``find`` would return it."""
    fields = reader.fields(entity_type)
    columns_text = arg(query, "columns").strip()
    columns = [c.strip() for c in columns_text.split(",") if c.strip()] if columns_text else default_columns(fields)
    columns = [c for c in dict.fromkeys(columns) if c != "id"][:30]
    filter_text = arg(query, "filters")
    operator = arg(query, "op", "all")
    sort = arg(query, "sort")
    direction = "desc" if arg(query, "dir") == "desc" else "asc"
    retired = arg(query, "retired") == "1"
    per_page = int_arg(query, "per_page", PER_PAGE)
    per_page = per_page if per_page in PAGE_SIZES else PER_PAGE
    page_number = int_arg(query, "page", 1)
    state = {"columns": columns_text, "filters": filter_text, "op": operator if operator == "any" else "",
             "sort": sort, "dir": direction if sort else "", "retired": "1" if retired else "",
             "per_page": per_page if per_page != PER_PAGE else ""}
    form = _table_form(entity_type, state, columns)
    error = ""
    records: List[dict] = []
    has_next = False
    try:
        filters = parse_filters(filter_text, operator)
        sorts = [{"field_name": sort, "direction": direction}] if sort else None
        records, has_next = reader.page(entity_type, columns, filters, page_number, per_page, sorts, retired)
    except FilterSyntaxError as problem:
        error = "Filter: %s" % problem
    except reader.site.fault_class as fault:
        error = str(fault.args[0]) if fault.args else "the site refused the read"
    if error:
        return entity_type, form + '<p class="error">%s</p>' % esc(error), 400
    headers = [_sort_header(entity_type, state, "id")] + [_sort_header(entity_type, state, c) for c in columns]
    rows = []
    for record in records:
        cells = [link(record_path(entity_type, record["id"]), record["id"])]
        for column in columns:
            data_type = prop(fields.get(column, {}), "data_type") or ""
            cells.append(value_html(record.get(column), data_type))
        rows.append(cells)
    first = (page_number - 1) * per_page
    shown = "records %d-%d" % (first + 1, first + len(records)) if records else "no records"
    pager = []
    if page_number > 1:
        pager.append(link(href("/table/" + entity_type, page=page_number - 1, **state), "< previous"))
    pager.append('<span>page %d, %s%s</span>' % (page_number, shown, " (retired)" if retired else ""))
    if has_next:
        pager.append(link(href("/table/" + entity_type, page=page_number + 1, **state), "next >"))
    pager_html = '<p class="pager">%s</p>' % " ".join(pager)
    return entity_type, form + pager_html + table(headers, rows) + pager_html, 200


def _sort_header(entity_type: str, state: dict, column: str) -> str:
    direction = "desc" if state["sort"] == column and state["dir"] == "asc" else "asc"
    arrow = {"asc": " &#9650;", "desc": " &#9660;"}.get(state["dir"]) if state["sort"] == column else ""
    params = dict(state, sort=column, dir=direction)
    return link(href("/table/" + entity_type, **params), column) + (arrow or "")


def _table_form(entity_type: str, state: dict, columns: List[str]) -> str:
    operator = state["op"] or "all"
    return ('<form method="get" action="%s" class="query">'
            '<label>Columns (dotted fields too) <input name="columns" size="60" value="%s"></label>'
            '<label>Filters, as for <code>find</code> <textarea name="filters" rows="2" cols="70" '
            'placeholder=\'[["code", "contains", "sh"], ["project.Project.name", "is", "Moonrise"]]\'>%s</textarea>'
            '</label><label>Match <select name="op"><option value="all"%s>all</option>'
            '<option value="any"%s>any</option></select></label>'
            '<label><input type="checkbox" name="retired" value="1"%s> retired records</label>'
            '<input type="hidden" name="sort" value="%s"><input type="hidden" name="dir" value="%s">'
            '<button type="submit">Show</button> %s</form>'
            % (esc("/table/" + entity_type), esc(", ".join(columns)), esc(state["filters"]),
               " selected" if operator == "all" else "", " selected" if operator == "any" else "",
               " checked" if state["retired"] else "", esc(state["sort"]), esc(state["dir"]),
               link("/schema/" + entity_type, "fields of %s" % entity_type)))
