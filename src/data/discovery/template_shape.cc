#include "data/discovery/template_shape.h"

#include <algorithm>

namespace maas::data::discovery {
namespace {

struct LeafElements {
  std::vector<Element> elements;
  std::vector<size_t> anchors;  // indices of constant tokens that are not a parameter
};

LeafElements leaf_elements(const ClusterTable& table, const ShapeLeaf& leaf) {
  LeafElements out;
  const Cluster& rep = table[leaf.clusters[0]];
  size_t n = rep.length();
  std::vector<bool> variable(n, false);
  for (uint16_t p : leaf.variables) variable[p] = true;
  for (size_t p = 0; p < n; ++p) {
    Element e;
    e.sep = rep.seps[p];
    e.sep_text = rep.sep_texts[p];
    if (variable[p] || (rep.flags[p] & kTokenVariable)) {
      e.kind = Element::Kind::kVariable;
      SlotStats s;
      for (uint32_t c : leaf.clusters) {
        s.merge(folded_slots(table[c], p));
        e.may_be_empty = e.may_be_empty || (table[c].flags[p] & kTokenEmpty);
        e.may_have_spaces = e.may_have_spaces || (table[c].flags[p] & kTokenMerged);
      }
      e.slots.push_back(s);
    } else {
      e.skeleton = rep.skeletons[p];
      for (size_t i = rep.slot_begin[p]; i < rep.slot_begin[p + 1]; ++i) {
        SlotStats s = rep.slots[i];
        size_t offset = i - rep.slot_begin[p];
        for (uint32_t c : leaf.clusters) {
          const Cluster& other = table[c];
          if (other.slot_begin[p] + offset < other.slot_begin[p + 1]) s.merge(other.slots[other.slot_begin[p] + offset]);
        }
        e.slots.push_back(s);
      }
      if (!(rep.flags[p] & (kTokenParam | kTokenWordless))) out.anchors.push_back(out.elements.size());
    }
    out.elements.push_back(std::move(e));
  }
  return out;
}

bool same_element(const Element& a, const Element& b) {
  return a.kind == b.kind && a.sep == b.sep && a.sep_text == b.sep_text && a.skeleton == b.skeleton &&
         a.slots.size() == b.slots.size();
}

void merge_into(Element& into, const Element& from) {
  for (size_t i = 0; i < into.slots.size() && i < from.slots.size(); ++i) into.slots[i].merge(from.slots[i]);
  into.may_be_empty = into.may_be_empty || from.may_be_empty;
  into.may_have_spaces = into.may_have_spaces || from.may_have_spaces;
}

}  // namespace

TemplateShape build_shape(const ClusterTable& table, const std::vector<ShapeLeaf>& leaves) {
  TemplateShape shape;
  const Cluster& first = table[leaves[0].clusters[0]];
  shape.header = first.header;
  shape.json = first.json;
  shape.delimiter = first.delimiter;
  shape.trailer = first.trailer;
  for (const ShapeLeaf& leaf : leaves)
    for (uint32_t c : leaf.clusters) shape.raw_bytes = shape.raw_bytes || table[c].raw_bytes;
  std::vector<LeafElements> per_leaf;
  for (const ShapeLeaf& leaf : leaves) per_leaf.push_back(leaf_elements(table, leaf));
  if (per_leaf.size() == 1) {
    shape.elements = std::move(per_leaf[0].elements);
    return shape;
  }
  size_t anchors = per_leaf[0].anchors.size();
  bool aligned = true;
  for (const auto& l : per_leaf) {
    aligned = aligned && l.anchors.size() == anchors;
    for (size_t a = 0; aligned && a < anchors; ++a)
      aligned = same_element(l.elements[l.anchors[a]], per_leaf[0].elements[per_leaf[0].anchors[a]]);
  }
  if (!aligned) {  // not expected from the grouping; still a shape every line fits
    Element run;
    run.kind = Element::Kind::kRun;
    run.min_tokens = 0;
    run.max_tokens = UINT32_MAX;
    run.slots.push_back(SlotStats{type_bit(ValueType::kWord), kNoFormat});
    shape.elements.push_back(run);
    return shape;
  }
  for (size_t a = 0; a <= anchors; ++a) {
    std::vector<std::pair<size_t, size_t>> gaps;
    for (const auto& l : per_leaf) {
      size_t begin = a == 0 ? 0 : l.anchors[a - 1] + 1;
      size_t end = a == anchors ? l.elements.size() : l.anchors[a];
      gaps.emplace_back(begin, end);
    }
    size_t length0 = gaps[0].second - gaps[0].first;
    bool same = true;
    for (size_t l = 1; l < per_leaf.size() && same; ++l) {
      same = gaps[l].second - gaps[l].first == length0;
      for (size_t i = 0; same && i < length0; ++i)
        same = same_element(per_leaf[l].elements[gaps[l].first + i], per_leaf[0].elements[gaps[0].first + i]);
    }
    if (same) {
      for (size_t i = 0; i < length0; ++i) {
        Element e = per_leaf[0].elements[gaps[0].first + i];
        for (size_t l = 1; l < per_leaf.size(); ++l) merge_into(e, per_leaf[l].elements[gaps[l].first + i]);
        shape.elements.push_back(std::move(e));
      }
    } else {
      Element run;
      run.kind = Element::Kind::kRun;
      run.min_tokens = UINT32_MAX;
      run.max_tokens = 0;
      SlotStats s;
      for (size_t l = 0; l < per_leaf.size(); ++l) {
        uint32_t length = static_cast<uint32_t>(gaps[l].second - gaps[l].first);
        run.min_tokens = std::min(run.min_tokens, length);
        if (length > run.max_tokens) {
          run.max_tokens = length;
          run.sep = per_leaf[l].elements[gaps[l].first].sep;
          run.sep_text = per_leaf[l].elements[gaps[l].first].sep_text;
        }
        for (size_t i = gaps[l].first; i < gaps[l].second; ++i)
          for (const SlotStats& slot : per_leaf[l].elements[i].slots) s.merge(slot);
      }
      s.types |= type_bit(ValueType::kWord);
      run.slots.push_back(s);
      shape.elements.push_back(std::move(run));
    }
    if (a < anchors) {
      Element e = per_leaf[0].elements[per_leaf[0].anchors[a]];
      for (size_t l = 1; l < per_leaf.size(); ++l) merge_into(e, per_leaf[l].elements[per_leaf[l].anchors[a]]);
      shape.elements.push_back(std::move(e));
    }
  }
  return shape;
}

std::string TemplateShape::text() const {
  std::string out;
  for (size_t i = 0; i < elements.size(); ++i) {
    const Element& e = elements[i];
    if (e.sep == Separator::kText) out += e.sep_text;
    else if (e.sep == Separator::kSpace && !out.empty()) out += ' ';
    if (e.kind != Element::Kind::kToken) {
      out += "<*>";
      continue;
    }
    for (size_t k = 0; k < e.skeleton.size(); ++k) {
      char c = e.skeleton[k];
      if (c == kSlotMark) out += "<*>";
      else if (c == kEscapeMark && k + 1 < e.skeleton.size()) out += e.skeleton[++k];
      else out += c;
    }
  }
  out += trailer;
  return out;
}

}  // namespace maas::data::discovery
