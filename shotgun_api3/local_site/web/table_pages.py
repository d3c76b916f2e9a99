"""The home page (records per type and project) and the table of one entity type."""
from __future__ import annotations

from typing import List, Tuple

from .markup import entity_link, esc, href, link, record_path, table, value_html
from .reads import PAGE_SIZES, PER_PAGE, FilterSyntaxError, Reader, name_field, parse_filters, prop

#: Projects listed on the home page (the rest through the Project table).
MAX_PROJECTS = 50


def arg(query: dict, name: str, default: str = "") -> str:
    values = query.get(name)
    return values[0] if values else default


def int_arg(query: dict, name: str, default: int, low: int = 1, high: int = 10 ** 9) -> int:
    try:
        return max(low, min(high, int(arg(query, name, str(default)))))
    except ValueError:
        return default


def home_page(reader: Reader, query: dict) -> Tuple[str, str]:
    """``(title, body)``: the projects, and every entity type with records, counted (in one project if chosen).

    Counts are ``read`` answers' ``entity_count`` (one record per page), so no
    table is loaded; one project at a time keeps the page quick on large sites.
    """
    project_id = int_arg(query, "project", 0, 0)
    projects, more_projects = reader.page("Project", ["name"], None, 1, MAX_PROJECTS)
    chosen = next((p for p in projects if p["id"] == project_id), None)
    if chosen is None and project_id:
        chosen = reader.one("Project", project_id, ["name"])
    in_project = {"logical_operator": "and", "conditions": [
        {"path": "project", "relation": "is", "values": [{"type": "Project", "id": project_id}]}]}
    headers = ["Entity type", "Records"] + (["In %s" % entity_link(chosen)] if chosen else [])
    rows, empty = [], 0
    for entity_type in sorted(reader.entity_types()):
        total = reader.count_records(entity_type)
        if not total:
            empty += 1
            continue
        cells = [link(href("/table/" + entity_type), entity_type), '<span class="num">%d</span>' % total]
        if chosen:
            fields = reader.fields(entity_type) if entity_type != "Project" else {}
            number = None
            if prop(fields.get("project", {}), "data_type") == "entity":
                number = reader.count_records(entity_type, in_project)
            cells.append(link(href("/table/" + entity_type, filters='[["project", "is", {"type": "Project", '
                                   '"id": %d}]]' % project_id), number) if number else
                         ('<span class="none">-</span>' if number is None else "0"))
        rows.append(cells)
    choices = ['<li>%s</li>' % link(href("/", project=p["id"]), p.get("name") or "Project %d" % p["id"])
               for p in projects]
    if more_projects:
        choices.append("<li>%s</li>" % link("/table/Project", "all projects..."))
    picker = ('<h2>Projects</h2><ul class="projects">%s%s</ul>'
              % ('<li>%s</li>' % link("/", "all records") if chosen else "", "".join(choices))
              if projects else '<p class="none">No projects yet.</p>')
    body = ('%s<h2>Entity types%s</h2><p>Retired records are not counted. %d entity types without records are '
            'listed in the %s.</p>%s' % (picker, " in %s" % esc(chosen.get("name")) if chosen else "", empty,
                                         link("/schema", "schema"), table(headers, rows)))
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
