//! The code's layering, held to the table in the README: every module
//! imports only from its own layer or below, never from a module that
//! contains it (the orchestrator that calls it), and no modules import each
//! other round in a loop.

use crate::common::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The README's layers: top-level module → layer number.
fn layers() -> BTreeMap<String, usize> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- layers")
        .expect("README has a layers table");
    let end = readme
        .find("<!-- /layers -->")
        .expect("layers table is closed");
    let mut layers = BTreeMap::new();
    for row in readme[start..end].lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(Ok(layer)) = cells.get(1).map(|c| c.parse::<usize>()) else {
            continue;
        };
        for name in cells[2].split(',') {
            let name = name.trim().trim_matches('`');
            layers.insert(name.to_string(), layer);
        }
    }
    assert!(layers.len() >= 8, "layers table read: {layers:?}");
    layers
}

/// Every source file as its module path (`audit::sheets::learned`), and
/// its text without its test module.
fn modules() -> BTreeMap<String, String> {
    let src = root().join("src");
    let mut modules = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        let name = match parts.join("::").as_str() {
            "lib" => "crate".to_string(),
            "main" => "cli".to_string(),
            other => other.to_string(),
        };
        let text = std::fs::read_to_string(path).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        modules.insert(name, code);
    }
    modules
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let mut path = path.to_string();
    // `x as y` names x.
    while let Some(at) = path.find(" as ") {
        let end = path[at + 4..]
            .find([',', '}'])
            .map_or(path.len(), |e| at + 4 + e);
        path.replace_range(at..end, "");
    }
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.len() - 1];
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[from..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

/// The paths a module's code names: its `use` statements (with `crate::`,
/// `super::` or, in the binary, `declass::`), and paths written inline.
fn named_paths(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let body = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("use "));
        if let Some(body) = body {
            paths.extend(expand(body));
        }
    }
    for (at, _) in code.match_indices("crate::") {
        let rest: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        paths.push(rest);
    }
    paths
}

/// The module a path names: the longest prefix of it that is a module.
fn target(from: &str, path: &str, modules: &BTreeMap<String, String>) -> Option<String> {
    let mut segments: Vec<String> = Vec::new();
    let mut rest = path.split("::").peekable();
    match rest.peek().copied() {
        Some("crate") | Some("declass") => {
            rest.next();
        }
        Some("super") => {
            segments = from.split("::").map(str::to_string).collect();
            while rest.peek() == Some(&"super") {
                rest.next();
                segments.pop();
            }
        }
        _ => return None,
    }
    segments.extend(rest.map(str::to_string));
    (0..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .map(|name| {
            if name.is_empty() {
                "crate".into()
            } else {
                name
            }
        })
        .find(|name| modules.contains_key(name))
}

fn wing(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[test]
fn imports_follow_the_layers_in_the_readme() {
    let layers = layers();
    let modules = modules();
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        if module == "crate" {
            continue;
        }
        let Some(&layer) = layers.get(wing(module)) else {
            problems.push(format!("{module}: its wing is in no layer of the README"));
            continue;
        };
        for path in named_paths(code) {
            let Some(to) = target(module, &path, &modules) else {
                continue;
            };
            if to == *module || to == "crate" {
                continue;
            }
            let their = layers.get(wing(&to)).copied().unwrap_or(usize::MAX);
            if their > layer {
                problems.push(format!(
                    "{module} (layer {layer}) imports {path} (layer {their})"
                ));
            }
            if module.starts_with(&format!("{to}::")) {
                problems.push(format!(
                    "{module} imports {path} from {to}, the module that contains and calls it"
                ));
            }
            graph.entry(module.clone()).or_default().insert(to);
        }
    }
    problems.extend(cycles(&graph));
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Every import loop of the graph, once.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            found.push(format!(
                "import loop: {} -> {node}",
                stack[at..].join(" -> ")
            ));
            return;
        }
        if !done.insert(node.to_string()) {
            return;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

#[test]
fn the_layering_check_sees_a_loop_and_an_upward_import() {
    let mut modules = BTreeMap::new();
    for name in ["audit", "audit::scan", "rules"] {
        modules.insert(name.to_string(), String::new());
    }
    assert_eq!(
        target("audit::scan", "super::AuditOptions", &modules).as_deref(),
        Some("audit")
    );
    assert_eq!(
        target("audit::scan", "crate::rules::{RuleSet, Check}", &modules).as_deref(),
        Some("rules")
    );
    assert_eq!(
        expand("crate::a::{b as x, c::{d, e}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&graph).len(), 1);
    assert!(Path::new(&root().join("src/lib.rs")).exists());
}

/// Longest function bodies and largest files, as the README promises.
#[test]
fn no_file_over_600_lines_and_no_function_over_100() {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let name = entry.path().display().to_string();
        if lines.len() > 600 {
            problems.push(format!("{name}: {} lines", lines.len()));
        }
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            let indent = line.len() - code.len();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "const fn "]
                .iter()
                .any(|p| code.starts_with(p));
            if !is_fn || code.ends_with(';') {
                continue;
            }
            let close = format!("{}}}", " ".repeat(indent));
            if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
                if end + 2 > 100 {
                    problems.push(format!("{name}:{}: {} lines: {code}", i + 1, end + 2));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
